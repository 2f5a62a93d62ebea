"""For teachers: the pack (one zip a version), its data tables, and the "For teachers" page.

    pack     the zip: figures, videos, CSV tables, licence, how to cite, README with a MANIFEST
    tables   a figure's numbers as CSV
    page     the "For teachers" page's figure table and exercise list
"""
