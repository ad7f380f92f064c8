"""The media domain: stored files of every owner type, who may upload, read and delete
them, the checks of their bytes, and how long they are kept (SPEC §8)."""
