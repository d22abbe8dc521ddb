"""The data lifecycle (issue 7): targeted-search requests and their authorisations so far;
masking, retention and scope decisions follow (R-SRCH-01..03, R-RET-01..05, R-SCOPE-02)."""
