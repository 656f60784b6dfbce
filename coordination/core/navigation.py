"""Menus: each domain declares its entries; a predicate (the policy) decides who sees them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, request, url_for

EXTENSION_KEY = "coordination.navigation"

#: The home page: ``_nav.html`` draws its link itself, so it belongs to no menu entry (even one
#: of the same blueprint, like the dashboard's).
HOME_ENDPOINT = "dashboard.home"


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    #: Lazy-translated label.
    label: Any
    #: The policy action the user needs for the entry to appear.
    action: str
    order: int = 50
    #: "main" (the site menu) or "account" (links on the user's account page).
    menu: str = "main"


@dataclass(frozen=True)
class ShownNavItem:
    url: str
    label: str
    current: bool


def register_nav_items(app: Flask, items: list[NavItem]) -> None:
    registry = app.extensions.setdefault(EXTENSION_KEY, [])
    registry.extend(items)
    registry.sort(key=lambda item: item.order)


def visible_nav_items(menu: str, allowed: Callable[[str], bool]) -> list[ShownNavItem]:
    """The entries of ``menu`` whose action ``allowed`` accepts, in order."""
    endpoint = request.endpoint or ""
    blueprint = "" if endpoint == HOME_ENDPOINT else endpoint.split(".", 1)[0]
    return [
        ShownNavItem(
            url=url_for(item.endpoint),
            label=str(item.label),
            current=endpoint == item.endpoint
            or (menu == "main" and blueprint == item.endpoint.split(".", 1)[0]),
        )
        for item in current_app.extensions.get(EXTENSION_KEY, [])
        if item.menu == menu and allowed(item.action)
    ]
