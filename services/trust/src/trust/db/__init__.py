"""Trust's database: tables, the batch's writes, the facts scoring reads, the API's reads."""
