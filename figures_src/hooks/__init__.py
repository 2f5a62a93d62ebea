"""The MkDocs hooks: the only modules that import MkDocs. Each adapts MkDocs' events to plain functions.

    figures.py     the figure build, the generated figure pages, the macros of every page
    build_info.py  the authors, the site's and repository's addresses, the version and the commit (citations)
    changelog.py   the generated part of the "Changelog and errata" page
    notebooks.py   the executed notebooks as pages, each with its downloads
    print_page.py  every page readied for the print page

Each starts the same way: it puts the checkout it belongs to first on sys.path,
so that `mkdocs` (or mike, building an older commit elsewhere with the same
virtual environment) imports this checkout's figures_src.
"""
