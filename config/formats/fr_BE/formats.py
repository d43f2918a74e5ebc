# French as written in Belgium; the rest comes from django/conf/locale/fr_BE/formats.py.
SHORT_DATE_FORMAT = "d/m/Y"  # 31/12/2026
SHORT_DATETIME_FORMAT = "d/m/Y H:i"  # 31/12/2026 14:30
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"]
