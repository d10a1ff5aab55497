"""Writes of orders, one module per concern (a package, as the catalogue's).

Import from the module that owns the service, e.g.
`from partsmall.orders.services.checkout import checkout_submit`: the modules are written
by different hands and call each other (checkout and approval call
`transitions.order_transition`), so this package re-exports nothing.
"""
