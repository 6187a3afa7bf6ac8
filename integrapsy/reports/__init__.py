"""Dashboards, funder indicators and list exports.

This module sits at the top of the dependency graph: it is the one part of the project core
allowed to import from ``cases``, ``interpreters`` and ``ambassadors``, because its figures
count their rows. Nothing imports it but the URL configuration.
"""
