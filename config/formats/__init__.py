"""Date and number formats per language (FORMAT_MODULE_PATH), on top of Django's own.

Belgian usage in all three languages: short dates as 31/12/2026, 24-hour times, the week starting on
Monday. Month and day names come from Django's translations of the active language. Only what
differs from Django's format module for the language is set here; the rest falls through to it.
"""
