"""The flask-compress extension; views opt into gzip with ``@compress.compressed()``."""

from flask_compress import Compress

compress = Compress()
