"""Declaring a YAML settings file once, as a schema: its sections (``declaration``), the value
types they are made of (``values``), and reading a file against it with errors at file, line
and key, or publishing it as JSON Schema (``document``).

Below the scanners, so that each family can declare the settings file it reads itself (the
trust policy in ``integrity``); ``config_schema`` holds the declarations above them.
"""
