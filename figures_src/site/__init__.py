"""The site: places what the figure build made. It never computes a number.

    embed       {{ figure() }}, {{ value() }} and {{ claim() }} in a page: checked, then expanded
    pages       a page per figure (figures/<id>/) and the gallery (figures/)
    thumbs      thumbnails and WebP posters, made once per content
    images      image sizes from file headers
    print_page  each page readied for the print page (paper and PDF)
    changelog   which figures' numbers changed, version by version, from git
    model_export  the trained tiny model's weights as the browser reads them
    assemble    the site build's steps as plain functions (what the MkDocs hook calls)
"""
