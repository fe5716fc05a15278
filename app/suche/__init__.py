"""Search over everything a person may see: a registry of sources, one query per source.

The owning packages register their sources (``quellen.suchquelle``) in their ``hooks.py``; this
package only knows the search field, the full-text helpers and the results page.
"""
