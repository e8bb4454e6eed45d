"""Batch work on cases chosen in the list: 立案, 交办, 催办, and the export of their signed replies."""
