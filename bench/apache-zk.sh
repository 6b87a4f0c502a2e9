#!/usr/bin/env bash
# Shared by the bench scripts that run Apache ZooKeeper beside Paddock; source it from the
# repository's root directory:
#   . bench/apache-zk.sh; fetch_apache
# Sets ZK_VERSION (3.9.5 unless already set), APACHE_DIR, APACHE_CP (the classpath of
# org.apache.zookeeper.server.quorum.QuorumPeerMain) and APACHE_MAIN.
ZK_VERSION="${ZK_VERSION:-3.9.5}"
APACHE_DIR="bench/target/apache-zookeeper-$ZK_VERSION"
APACHE_CP="$APACHE_DIR/lib/*"
APACHE_MAIN=org.apache.zookeeper.server.quorum.QuorumPeerMain

# fetch_apache: Apache ZooKeeper and its runtime dependencies copied by Maven into
# $APACHE_DIR/lib; offline first, so a warm local repository is enough, and from Maven Central
# otherwise. Its pom leaves three that the server needs to the distribution: logback (optional),
# Dropwizard metrics (provided; the default metrics provider needs it) and snappy-java
# (provided; naming a snapshot loads it even without compression), all at the versions of
# Apache's parent pom. Fetched again only when the generated pom changes.
fetch_apache() {
    local pom
    pom="$(apache_pom)"
    if [ -f "$APACHE_DIR/lib/.complete" ] && [ "$pom" = "$(cat "$APACHE_DIR/pom.xml" 2> /dev/null)" ]; then
        return 0
    fi
    rm -rf "$APACHE_DIR"
    mkdir -p "$APACHE_DIR"
    echo "$pom" > "$APACHE_DIR/pom.xml"
    local goal=(-B -q -f "$APACHE_DIR/pom.xml" dependency:copy-dependencies -DincludeScope=runtime
        "-DoutputDirectory=$PWD/$APACHE_DIR/lib")
    ${MVN:-mvn} -o "${goal[@]}" > "$APACHE_DIR/fetch.log" 2>&1 || ${MVN:-mvn} "${goal[@]}" >> "$APACHE_DIR/fetch.log" 2>&1 || {
        tail -n 30 "$APACHE_DIR/fetch.log" >&2
        echo "could not fetch Apache ZooKeeper $ZK_VERSION with Maven" >&2
        exit 1
    }
    touch "$APACHE_DIR/lib/.complete"
}

apache_pom() {
    cat << POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>io.paddock.bench</groupId>
  <artifactId>apache-zookeeper-runtime</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.zookeeper</groupId>
      <artifactId>zookeeper</artifactId>
      <version>$ZK_VERSION</version>
    </dependency>
    <dependency>
      <groupId>ch.qos.logback</groupId>
      <artifactId>logback-classic</artifactId>
      <version>1.5.12</version>
    </dependency>
    <dependency>
      <groupId>io.dropwizard.metrics</groupId>
      <artifactId>metrics-core</artifactId>
      <version>4.1.12.1</version>
    </dependency>
    <dependency>
      <groupId>org.xerial.snappy</groupId>
      <artifactId>snappy-java</artifactId>
      <version>1.1.10.5</version>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-dependency-plugin</artifactId>
        <version>3.8.1</version>
      </plugin>
    </plugins>
  </build>
</project>
POM
}
