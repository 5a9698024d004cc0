#!/bin/sh
# Runs once, when the mysql container initialises its data directory (docker-entrypoint-initdb.d): creates the
# read-only user Grafana's MySQL data source logs in with. It may read ratewatch's tables, and change nothing.
set -eu
# Root may have no password (MYSQL_ALLOW_EMPTY_PASSWORD, as docker-compose.yml runs it) or one.
mysql --protocol=socket -uroot ${MYSQL_ROOT_PASSWORD:+"-p${MYSQL_ROOT_PASSWORD}"} <<SQL
CREATE USER IF NOT EXISTS 'grafana_reader'@'%' IDENTIFIED BY '${GRAFANA_MYSQL_PASSWORD:-grafana-reader-change-me}';
GRANT SELECT ON \`${MYSQL_DATABASE}\`.* TO 'grafana_reader'@'%';
FLUSH PRIVILEGES;
SQL
