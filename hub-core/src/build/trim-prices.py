#!/usr/bin/env python3
"""Trims genai-prices' data_slim.json into the price table llmhub ships.

Usage: python3 hub-core/src/build/trim-prices.py PATH/TO/data_slim.json \
           > hub-core/src/main/resources/dev/llmhub/core/usage/prices.json

Keeps, per provider: id, api_pattern and, per model: id, match rule, and the base USD prices per
million tokens (input, output, cache_read, cache_write). Time- or size-dependent prices keep their base value
(the unconstrained entry or the tier's "base"). Run it again when the upstream data changes.
"""
import json
import sys


def base(value):
    if isinstance(value, dict):
        return value.get("base")
    return value


def trim_prices(prices):
    if isinstance(prices, list):
        prices = next((p["prices"] for p in prices if "constraint" not in p), prices[0]["prices"])
    out = {}
    for key, name in (("input_mtok", "input"), ("output_mtok", "output"), ("cache_read_mtok", "cache_read"),
                      ("cache_write_mtok", "cache_write")):
        v = base(prices.get(key))
        if v is not None:
            out[name] = v
    return out


def main():
    data = json.load(open(sys.argv[1]))
    providers = []
    for p in data:
        models = []
        for m in p["models"]:
            prices = trim_prices(m["prices"])
            if "input" in prices or "output" in prices:
                models.append({"id": m["id"], "match": m["match"], "prices": prices})
        providers.append({"id": p["id"], "api_pattern": p.get("api_pattern"), "models": models})
    json.dump({"source": "https://github.com/pydantic/genai-prices (data_slim.json)", "providers": providers},
              sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
