package io.paddock.server.storage;

import io.paddock.protocol.ACL;
import io.paddock.protocol.Id;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Jute primitives read from a stream (snapshots are too large to hold as one buffer). */
final class StreamReader {
    private static final int MAX_FIELD = 64 * 1024 * 1024;

    private final DataInputStream in;

    StreamReader(DataInputStream in) {
        this.in = in;
    }

    int readInt() throws IOException {
        return in.readInt();
    }

    long readLong() throws IOException {
        return in.readLong();
    }

    byte[] readBuffer() throws IOException {
        int len = in.readInt();
        if (len == -1) {
            return null;
        }
        if (len < -1 || len > MAX_FIELD) {
            throw new IOException("impossible field length " + len);
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return b;
    }

    String readString() throws IOException {
        byte[] b = readBuffer();
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    List<ACL> readAcl() throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1 << 16) {
            throw new IOException("impossible ACL count " + n);
        }
        List<ACL> acl = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            acl.add(new ACL(in.readInt(), new Id(readString(), readString())));
        }
        return acl;
    }
}
