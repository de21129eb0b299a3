// Benchmark peer for bench/http-spread.sh, not part of racelab: seed 003's Express app with
// mysql2/promise, its POST /deposit-atomic/:id route as the seed writes it (an atomic UPDATE,
// then a SELECT of the new balance, each through pool.query), on racelab serve's own rows so
// both servers update the same accounts: racelab_cell, key 'svc/account:<id>', the balance
// in cents in v. Only the table and column names differ from the seed.
//
// Env: PORT (3000), POOL (the seed's connectionLimit, 10), MYSQL_HOST (127.0.0.1),
//      MYSQL_PORT (3306), MYSQL_USER (root), MYSQL_PASSWORD (''), MYSQL_DATABASE (test).
const express = require('express');
const mysql = require('mysql2/promise');

const app = express();
app.use(express.json());

const pool = mysql.createPool({
  host: process.env.MYSQL_HOST || '127.0.0.1',
  port: Number(process.env.MYSQL_PORT || 3306),
  user: process.env.MYSQL_USER || 'root',
  password: process.env.MYSQL_PASSWORD || '',
  database: process.env.MYSQL_DATABASE || 'test',
  waitForConnections: true,
  connectionLimit: Number(process.env.POOL || 10)
});

const accountKey = id => `svc/account:${id}`;

// seed 003, Example 2: the atomic deposit
app.post('/deposit-atomic/:id', async (req, res) => {
  const accountId = req.params.id;
  const amount = parseFloat(req.body.amount);

  try {
    // Single atomic operation! (cents: racelab keeps the balance as a whole number of cents)
    await pool.query(
      'UPDATE racelab_cell SET v = v + ?, version = version + 1 WHERE k = ?',
      [Math.round(amount * 100), accountKey(accountId)]
    );

    // Read the new balance
    const [rows] = await pool.query(
      'SELECT v, version FROM racelab_cell WHERE k = ?',
      [accountKey(accountId)]
    );

    res.json({ balance: (rows[0].v / 100).toFixed(2) });
  } catch (error) {
    res.status(500).json({ error: error.message });
  }
});

// seed 003's GET /balance/:id
app.get('/balance/:id', async (req, res) => {
  const [rows] = await pool.query('SELECT v, version FROM racelab_cell WHERE k = ?', [accountKey(req.params.id)]);
  if (rows.length === 0) return res.status(404).json({ error: 'no account ' + req.params.id });
  res.json({ balance: (rows[0].v / 100).toFixed(2), version: rows[0].version });
});

const PORT = process.env.PORT || 3000;
app.listen(PORT, '127.0.0.1', () => {
  console.log(`Server running on port ${PORT} (connectionLimit ${pool.pool.config.connectionLimit})`);
});
