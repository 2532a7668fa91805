from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    AGENT = "agent"
    SUPPLIER = "supplier"
    CLIENT = "client"
    # a Polish lessor's staff (seed 002), each with its own menu
    SALES = "sales"  # Sprzedaż: offers, applications, signing
    RISK = "risk"  # Ryzyko: the analyst
    BACK_OFFICE = "back_office"  # Back Office: the documents' check, the payment
    COLLECTIONS = "collections"  # windykacja (issue 19)


#: roles an admin hands out by invite link; admins come from ADMIN_IDS or a grant
INVITABLE_ROLES = frozenset({Role.MANAGER, Role.AGENT, Role.SUPPLIER, Role.SALES, Role.RISK, Role.BACK_OFFICE,
                             Role.COLLECTIONS})
#: a lessor's staff (seed 002): they see the lease cases their role allows
LEASE_STAFF = frozenset({Role.ADMIN, Role.SALES, Role.RISK, Role.BACK_OFFICE, Role.COLLECTIONS})
#: who keeps a running contract's books: bank statements, the lines kept aside (seed 002, Rozliczanie)
BOOKS_STAFF = frozenset({Role.BACK_OFFICE, Role.COLLECTIONS, Role.ADMIN})
#: roles whose people bring clients through a referral link
REFERRER_ROLES = frozenset({Role.AGENT, Role.SUPPLIER})
#: the company's own people: they work leads, tasks and deals, and see the CRM's lists and boards
STAFF = frozenset({Role.ADMIN, Role.MANAGER})
