"""Referrals: what an officer submits for children's social care, frozen version by version."""
