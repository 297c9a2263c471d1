//! Admin token hashes. The tokens themselves are never stored.

use rusqlite::{TransactionBehavior, params};

use super::{NOW, Store, StoreError};

impl Store {
    /// Stores `hash` as the admin token unless there is one already; says whether it did.
    pub fn add_first_admin_token(&self, hash: &str) -> Result<bool, StoreError> {
        let mut conn = self.writer();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let existing: i64 =
            tx.query_row("SELECT count(*) FROM admin_tokens", [], |row| row.get(0))?;
        if existing > 0 {
            return Ok(false);
        }
        tx.execute(
            &format!("INSERT INTO admin_tokens (hash, created_at) VALUES (?1, {NOW})"),
            params![hash],
        )?;
        tx.commit()?;
        Ok(true)
    }

    /// Makes `hash` the only admin token: every earlier token stops working.
    pub fn replace_admin_tokens(&self, hash: &str) -> Result<(), StoreError> {
        let mut conn = self.writer();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM admin_tokens", [])?;
        tx.execute(
            &format!("INSERT INTO admin_tokens (hash, created_at) VALUES (?1, {NOW})"),
            params![hash],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The hashes of the valid admin tokens. Read at each check, so `voci token reset` takes
    /// effect on a running collector.
    pub fn admin_token_hashes(&self) -> Result<Vec<String>, StoreError> {
        let conn = self.writer();
        let mut stmt = conn.prepare_cached("SELECT hash FROM admin_tokens")?;
        let hashes = stmt
            .query_map([], |row| row.get(0))?
            .collect::<Result<Vec<String>, _>>()?;
        Ok(hashes)
    }
}
