"""The requesters and organizations of the administration area: lists, forms, merging, CSV."""
