"""Reading published reports back into mkreport's input: a stage beside writing them.

``documents`` turns a .docx, a saved web page, a PDF or plain text into one
list of lines (table rows become tab-separated lines); ``recognize`` finds the
title, the six sections, the three tables and the narrative in those lines,
using the same format definitions that print them.
"""
