"""The web page for shop owners: upload, columns, problems, shop, send, results, history.

A thin layer over the library (``pipeline``): it reads, checks and sends through the same calls
as the command line and shows their results. ``WebServer`` serves it on 127.0.0.1.
"""
