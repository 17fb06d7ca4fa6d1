"""JustClick's API: PHP's wire format and signatures, the HTTP client, what the answers mean."""
