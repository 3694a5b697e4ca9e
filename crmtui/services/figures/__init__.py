"""The dashboard's figures by area; `services.stats` puts them together."""
