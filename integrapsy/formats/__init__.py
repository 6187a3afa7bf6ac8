"""Date and number formats that differ from Django's for a language of the interface (``FORMAT_MODULE_PATH``)."""
