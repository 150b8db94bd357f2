"""One module per page's figures; each exposes ``FIGURES = {name: draw(fig)}``.

A draw function may carry a ``size`` attribute (inches, width × height).
"""
