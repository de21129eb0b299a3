-- wrk script for bench/http-deposit.sh: seed 003's deposit, POST {"amount": 10} as JSON.
wrk.method = "POST"
wrk.body = '{"amount": 10}'
wrk.headers["Content-Type"] = "application/json"
