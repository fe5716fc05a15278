"""Datenbasis and Sozialreport: indicators, infrastructure, interviews and the published report."""
