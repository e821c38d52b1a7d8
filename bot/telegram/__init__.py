"""python-telegram-bot adapter: translates updates into engine inputs and replies into messages."""
