"""mkreport: government information disclosure annual reports from YAML.

The library API is in :mod:`generator.api`; the command line in
:mod:`generator.cli` is a thin shell over it.
"""

__version__ = "0.1.0"
