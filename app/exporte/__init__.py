"""Exports for the board and the committees: registers and lists as XLSX and CSV.

Sits above every package it reads (impulses, measures, decisions, meetings, minutes); nothing
imports it.
"""
