"""Transport-free core: dialog specs, state machines, rendering, input parsing.

Nothing here imports Telegram or SQL; adapters and the store stand on top.
"""
