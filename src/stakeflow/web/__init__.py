"""The web app: a scenario library with waterfalls, payoff charts and control, in the browser."""

from .app import create_app

__all__ = ["create_app"]
