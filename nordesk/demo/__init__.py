"""Nordic demo data for a first look at Nordesk: `nordesk demo` (see `seed.demo_load`)."""
