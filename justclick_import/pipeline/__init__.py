"""The stages run in order: prepare (no network), execute (journal and sending), write outputs."""
