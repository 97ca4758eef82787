"""`mkreport serve`: the input file edited through a page in the browser, checked by the same code."""
