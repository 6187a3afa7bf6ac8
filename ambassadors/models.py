# Models arrive with their features.
