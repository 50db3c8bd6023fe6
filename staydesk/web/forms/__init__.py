"""Forms of the provider extranet and the guest pages (input only, no domain rules)."""
