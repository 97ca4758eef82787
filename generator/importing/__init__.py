"""Reading published reports back into mkreport's input: a stage beside writing them.

``documents`` turns a .docx, a saved web page, a PDF or plain text into one
list of lines (table rows become tab-separated lines; a line a Word file or a
page prints as a sub-heading is marked so); ``recognize`` finds the title, the
chapters (the six official ones and the office's own), the three tables and the
narrative in those lines, using the same format definitions that print them, so
that the input it writes prints the report again as it was published.
"""
