"""The suite's Beancount plugins, one concern each, installed as `beancount_ar.plugins`.

    plugin "beancount_ar.plugins.payments"

`plugin "beancount_ar"` runs them all, in order, with one configuration.
"""
