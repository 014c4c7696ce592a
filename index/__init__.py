"""Question banks, encoders and the vector index: everything the app reads.

Importing this package changes nothing in the process: the environment settings it relies on
(one BLAS thread, offline hub libraries) are made by `app.core.settings.configure_environment`,
which every entry point calls first.
"""
