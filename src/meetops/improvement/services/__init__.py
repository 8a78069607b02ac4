"""Every write of the improvement app, split by sub-domain: lessons, measures, cases."""
