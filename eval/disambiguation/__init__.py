"""Author-disambiguation quality: the service's assignment loop replayed on MEDLINE pairs and the DBLP Jun Zhangs."""
