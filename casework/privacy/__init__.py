"""Data protection: disclosure log and access review pages, retention (anonymisation), subject-access export.

Apps to the right of casework take part through `registry.py` (their anonymiser, their part of the
subject-access export, what keeps a file open), so this package never imports them.
"""
