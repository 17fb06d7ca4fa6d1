"""Stage 3, orders: checked rows grouped into orders, and the checks over whole orders."""
