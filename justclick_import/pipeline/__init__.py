"""The stages run in order: ``prepare`` (no network), ``execute`` (journal and sending), then
``write_outputs``; ``run_import`` does all three."""
