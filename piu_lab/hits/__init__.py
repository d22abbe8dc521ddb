"""Pre-assessment: the watchlist registry, screening runs, routed hits and their review
(R-PRE-01..09; law of 25 Dec 2016 art. 24-25; AR of 21 Dec 2017 art. 1 4°-5°, art. 8)."""
