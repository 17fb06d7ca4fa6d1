"""Stage 4, sending: each order sent at most once, journaled; orders in doubt settled; undo."""
