package dev.adjoint.processor;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sizes that matter to the JVM's limits, read from a class file (JVMS chapter 4): the length
 * of each method's Code attribute and the number of constant-pool entries.
 */
final class ClassFileSizes {
  /** Code length in bytes per method, keyed {@code name + descriptor}. */
  final Map<String, Integer> codeLengths = new LinkedHashMap<>();
  /** {@code constant_pool_count}: at most 65535. */
  final int constantPoolCount;

  private ClassFileSizes(byte[] classFile) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file");
    }
    in.readUnsignedShort(); // minor
    in.readUnsignedShort(); // major
    constantPoolCount = in.readUnsignedShort();
    String[] utf8 = new String[constantPoolCount];
    for (int i = 1; i < constantPoolCount; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 3, 4 -> in.readInt();
        case 5, 6 -> {
          in.readLong();
          i++; // long and double take two entries
        }
        case 7, 8, 16, 19, 20 -> in.readUnsignedShort();
        case 9, 10, 11, 12, 17, 18 -> in.readInt();
        case 15 -> {
          in.readUnsignedByte();
          in.readUnsignedShort();
        }
        default -> throw new IOException("unknown constant tag " + tag + " at " + i);
      }
    }
    in.readUnsignedShort(); // access flags
    in.readUnsignedShort(); // this class
    in.readUnsignedShort(); // super class
    in.skipBytes(2 * in.readUnsignedShort()); // interfaces
    int fields = in.readUnsignedShort();
    for (int i = 0; i < fields; i++) {
      in.skipBytes(6);
      skipAttributes(in);
    }
    int methods = in.readUnsignedShort();
    for (int i = 0; i < methods; i++) {
      in.readUnsignedShort(); // access flags
      String name = utf8[in.readUnsignedShort()];
      String descriptor = utf8[in.readUnsignedShort()];
      int attributes = in.readUnsignedShort();
      for (int a = 0; a < attributes; a++) {
        String attribute = utf8[in.readUnsignedShort()];
        int length = in.readInt();
        if (attribute.equals("Code")) {
          in.readUnsignedShort(); // max stack
          in.readUnsignedShort(); // max locals
          int codeLength = in.readInt();
          codeLengths.put(name + descriptor, codeLength);
          in.skipBytes(length - 8);
        } else {
          in.skipBytes(length);
        }
      }
    }
  }

  private static void skipAttributes(DataInputStream in) throws IOException {
    int attributes = in.readUnsignedShort();
    for (int a = 0; a < attributes; a++) {
      in.readUnsignedShort();
      in.skipBytes(in.readInt());
    }
  }

  static ClassFileSizes of(byte[] classFile) {
    try {
      return new ClassFileSizes(classFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
