"""The ground floor: standard-library helpers every other room of figures_src uses.

- `paths`: the repository's folders and the caches (one place for both);
- `files`: hashing, atomic writes and the one pruning rule for caches;
- `git`: running git;
- `identity`: who made the site and where it lives (authors, site and repository addresses, never a
  placeholder host) and what is being built (title, version, commit, date).
"""
