package dev.durablediffusion.engine.checkpoint;

import dev.durablediffusion.engine.sampler.ResumableRandom;
import dev.durablediffusion.engine.sampler.SamplerMemory;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The bytes of a {@link DenoiseCheckpoint}: a magic, a format version, the fields big-endian, and
 * a CRC-32C of all that before it. Reading checks every length against what is left, so a
 * truncated, corrupted or foreign file is refused with a reason and never allocates more than its
 * own size.
 */
public final class CheckpointFormat {

  static final int MAGIC = 0x4444434B; // "DDCK"
  static final int VERSION = 1;

  private CheckpointFormat() {}

  public static byte[] write(DenoiseCheckpoint checkpoint) {
    ByteArrayOutputStream buffer =
        new ByteArrayOutputStream(64 + 4 * checkpoint.latents().length);
    try (DataOutputStream out = new DataOutputStream(buffer)) {
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      byte[] fingerprint = checkpoint.fingerprint().getBytes(StandardCharsets.UTF_8);
      out.writeInt(fingerprint.length);
      out.write(fingerprint);
      out.writeInt(checkpoint.nextStep());
      out.writeInt(checkpoint.latents().length);
      for (float v : checkpoint.latents()) {
        out.writeFloat(v);
      }
      SamplerMemory memory = checkpoint.sampler();
      out.writeInt(memory.lastStep());
      double[] prediction = memory.previousPrediction();
      out.writeInt(prediction == null ? -1 : prediction.length);
      if (prediction != null) {
        for (double v : prediction) {
          out.writeDouble(v);
        }
      }
      out.writeInt(checkpoint.noise().size());
      for (ResumableRandom.State state : checkpoint.noise()) {
        out.writeLong(state.seed());
        out.writeDouble(state.nextNextGaussian());
        out.writeBoolean(state.haveNextNextGaussian());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] body = buffer.toByteArray();
    CRC32C crc = new CRC32C();
    crc.update(body);
    return ByteBuffer.allocate(body.length + 4).put(body).putInt((int) crc.getValue()).array();
  }

  /**
   * @throws UnreadableCheckpointException for anything but the bytes {@link #write} produces
   */
  public static DenoiseCheckpoint read(byte[] bytes) {
    if (bytes.length < 12) {
      throw new UnreadableCheckpointException("too short (" + bytes.length + " bytes)");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes, 0, bytes.length - 4);
    if (in.getInt() != MAGIC) {
      throw new UnreadableCheckpointException("not a denoise checkpoint");
    }
    int version = in.getInt();
    if (version != VERSION) {
      throw new UnreadableCheckpointException("format version " + version + ", not " + VERSION);
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    if ((int) crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt()) {
      throw new UnreadableCheckpointException("checksum mismatch");
    }
    try {
      byte[] fingerprint = new byte[fitting(in.getInt(), 1, in)];
      in.get(fingerprint);
      int nextStep = in.getInt();
      float[] latents = new float[fitting(in.getInt(), Float.BYTES, in)];
      in.asFloatBuffer().get(latents);
      in.position(in.position() + Float.BYTES * latents.length);
      int lastStep = in.getInt();
      int predictionLength = in.getInt();
      double[] prediction = null;
      if (predictionLength != -1) {
        prediction = new double[fitting(predictionLength, Double.BYTES, in)];
        in.asDoubleBuffer().get(prediction);
        in.position(in.position() + Double.BYTES * prediction.length);
      }
      int generators = fitting(in.getInt(), Long.BYTES + Double.BYTES + 1, in);
      List<ResumableRandom.State> noise = new ArrayList<>(generators);
      for (int i = 0; i < generators; i++) {
        noise.add(new ResumableRandom.State(in.getLong(), in.getDouble(), in.get() != 0));
      }
      if (in.hasRemaining()) {
        throw new UnreadableCheckpointException(in.remaining() + " bytes after the last field");
      }
      return new DenoiseCheckpoint(
          new String(fingerprint, StandardCharsets.UTF_8),
          nextStep,
          latents,
          new SamplerMemory(lastStep, prediction),
          noise);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new UnreadableCheckpointException("truncated or inconsistent: " + e.getMessage());
    }
  }

  /** A count of elements of the given size, refused when larger than what is left. */
  private static int fitting(int n, int elementBytes, ByteBuffer in) {
    if (n < 0 || (long) n * elementBytes > in.remaining()) {
      throw new UnreadableCheckpointException("a length of " + n + " exceeds the file");
    }
    return n;
  }
}
