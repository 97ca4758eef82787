"""Rendering the checked model: blocks, table grids, Word, HTML, PDF, the 图解 and terminal summaries."""
