"""Stage 2, rows: headers mapped onto JustClick's fields, each cell coerced and checked."""
